/**
 * Word lists of the demo-data seeder: Chinese surnames and given names (with pinyin for e-mail addresses), nicknames,
 * bios and real cities with three districts each (administrative division codes, used as the first six digits of
 * the seeded resident ID numbers, and postcodes).
 */

/** [surname, pinyin, weight]: the common ones come up more often. */
export const SURNAMES: Array<[string, string, number]> = [
  ['王', 'wang', 8], ['李', 'li', 8], ['张', 'zhang', 8], ['刘', 'liu', 6], ['陈', 'chen', 6], ['杨', 'yang', 4],
  ['黄', 'huang', 3], ['赵', 'zhao', 3], ['吴', 'wu', 3], ['周', 'zhou', 3], ['徐', 'xu', 2], ['孙', 'sun', 2],
  ['马', 'ma', 2], ['朱', 'zhu', 2], ['胡', 'hu', 2], ['郭', 'guo', 2], ['何', 'he', 2], ['高', 'gao', 2],
  ['林', 'lin', 2], ['罗', 'luo', 2], ['郑', 'zheng', 2], ['梁', 'liang', 2], ['谢', 'xie', 1], ['宋', 'song', 1],
  ['唐', 'tang', 1], ['许', 'xu', 1], ['韩', 'han', 1], ['冯', 'feng', 1], ['邓', 'deng', 1], ['曹', 'cao', 1],
  ['彭', 'peng', 1], ['曾', 'zeng', 1], ['肖', 'xiao', 1], ['田', 'tian', 1], ['董', 'dong', 1], ['袁', 'yuan', 1],
  ['潘', 'pan', 1], ['于', 'yu', 1], ['蒋', 'jiang', 1], ['蔡', 'cai', 1], ['余', 'yu', 1], ['杜', 'du', 1],
  ['叶', 'ye', 1], ['程', 'cheng', 1], ['苏', 'su', 1], ['魏', 'wei', 1], ['吕', 'lv', 1], ['丁', 'ding', 1],
  ['任', 'ren', 1], ['沈', 'shen', 1], ['姚', 'yao', 1], ['卢', 'lu', 1], ['姜', 'jiang', 1], ['崔', 'cui', 1],
  ['钟', 'zhong', 1], ['谭', 'tan', 1], ['陆', 'lu', 1], ['汪', 'wang', 1], ['范', 'fan', 1], ['金', 'jin', 1],
  ['石', 'shi', 1], ['廖', 'liao', 1], ['贾', 'jia', 1], ['夏', 'xia', 1], ['韦', 'wei', 1], ['方', 'fang', 1],
  ['白', 'bai', 1], ['邹', 'zou', 1], ['孟', 'meng', 1], ['熊', 'xiong', 1], ['秦', 'qin', 1], ['邱', 'qiu', 1],
  ['江', 'jiang', 1], ['尹', 'yin', 1], ['薛', 'xue', 1], ['闫', 'yan', 1], ['段', 'duan', 1], ['雷', 'lei', 1],
  ['侯', 'hou', 1], ['龙', 'long', 1], ['史', 'shi', 1], ['陶', 'tao', 1], ['黎', 'li', 1], ['贺', 'he', 1],
  ['顾', 'gu', 1], ['毛', 'mao', 1], ['郝', 'hao', 1], ['龚', 'gong', 1], ['邵', 'shao', 1], ['万', 'wan', 1],
  ['钱', 'qian', 1], ['严', 'yan', 1], ['武', 'wu', 1], ['戴', 'dai', 1], ['孔', 'kong', 1], ['汤', 'tang', 1],
  ['欧阳', 'ouyang', 1], ['司马', 'sima', 1], ['诸葛', 'zhuge', 1], ['上官', 'shangguan', 1],
];

/** [given name, pinyin] for men. */
export const MALE_GIVEN: Array<[string, string]> = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['杰', 'jie'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['浩然', 'haoran'], ['子轩', 'zixuan'], ['宇航', 'yuhang'],
  ['俊杰', 'junjie'], ['建华', 'jianhua'], ['志强', 'zhiqiang'], ['文博', 'wenbo'], ['晨阳', 'chenyang'],
  ['天佑', 'tianyou'], ['思远', 'siyuan'], ['博文', 'bowen'], ['一鸣', 'yiming'], ['家豪', 'jiahao'],
  ['梓豪', 'zihao'], ['皓轩', 'haoxuan'], ['鹏飞', 'pengfei'], ['建国', 'jianguo'], ['海波', 'haibo'],
  ['永刚', 'yonggang'], ['振华', 'zhenhua'], ['立新', 'lixin'], ['明辉', 'minghui'], ['浩宇', 'haoyu'],
  ['子墨', 'zimo'], ['宇轩', 'yuxuan'], ['俊熙', 'junxi'], ['铭泽', 'mingze'], ['承泽', 'chengze'],
  ['晓东', 'xiaodong'], ['国庆', 'guoqing'], ['志明', 'zhiming'], ['嘉诚', 'jiacheng'],
];

/** [given name, pinyin] for women. */
export const FEMALE_GIVEN: Array<[string, string]> = [
  ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'], ['婷', 'ting'],
  ['雪', 'xue'], ['慧', 'hui'], ['颖', 'ying'], ['欣怡', 'xinyi'], ['梓涵', 'zihan'], ['诗涵', 'shihan'],
  ['雨萱', 'yuxuan'], ['可馨', 'kexin'], ['一诺', 'yinuo'], ['思琪', 'siqi'], ['晓燕', 'xiaoyan'],
  ['美玲', 'meiling'], ['秀英', 'xiuying'], ['桂英', 'guiying'], ['丽娟', 'lijuan'], ['雅婷', 'yating'],
  ['佳怡', 'jiayi'], ['紫萱', 'zixuan'], ['语嫣', 'yuyan'], ['梦瑶', 'mengyao'], ['若曦', 'ruoxi'],
  ['晓雯', 'xiaowen'], ['婉清', 'wanqing'], ['晨曦', 'chenxi'], ['欣妍', 'xinyan'], ['海燕', 'haiyan'],
  ['玉兰', 'yulan'], ['春梅', 'chunmei'], ['淑华', 'shuhua'],
];

/** Nicknames some users pick instead of their name (the seeder appends `_<id>`). */
export const NICKNAMES = [
  '追风少年', '快乐小猪', '夏天的风', '半夏微凉', '星河滚烫', '南风知我意', '奶茶不加糖', '吃货一枚', '旅行的意义',
  '咸鱼翻身', '温柔的猫', '小确幸', '柠檬精', '深夜食堂', '山川湖海', '清风徐来', '码农小王', '爱摄影的鱼',
  '一只小可爱', '不吃香菜', '早睡早起', '月亮不睡', '晴天娃娃', '橘子汽水',
];

export const BIOS = [
  '热爱生活，热爱摄影', '努力工作，认真生活', '好好学习，天天向上', '喜欢旅行和美食', '一个安静的美男子',
  '做一个温暖的人', '生活不止眼前的苟且', '爱跑步的程序员', '宝妈一枚，分享育儿心得', '资深吃货，探店达人',
  '喜欢读书、听音乐', '每天进步一点点', '健身使我快乐', '猫奴一枚', '设计师，偶尔画画', '在路上',
  '不忘初心，方得始终', '专注户外运动', '你若安好，便是晴天', '正在学习做饭', '独立音乐爱好者', '业余摄影师',
  '人生苦短，及时行乐', '爱生活，爱分享',
];

export const SLOGANS = ['实名认证用户', '知名博主', '优质创作者', '生活达人', '资深玩家', '美食达人', '摄影爱好者'];
export const ORG_SLOGANS = ['官方认证机构', '认证企业', '官方账号', '品牌官方'];

export const REJECT_REASONS = [
  '身份证照片不清晰，请重新上传', '姓名与证件信息不一致', '证件已过期', '营业执照信息无法核实', '请上传身份证反面照片',
];

export const VERIFICATION_DESCS = ['申请实名认证', '个人创作者认证', '希望获得认证标识', '本人实名认证', null];

export const ORG_WORDS = ['星辰', '蓝海', '华创', '优品', '鼎盛', '新程', '云帆', '嘉禾', '汇通', '锦程', '博远', '天成'];
export const ORG_KINDS = ['文化传媒', '网络科技', '信息技术', '餐饮管理', '教育咨询', '贸易', '电子商务', '广告'];

export const STREETS = [
  '人民路', '建设路', '解放路', '中山路', '和平路', '新华路', '长江路', '文化路', '光明街', '胜利路', '朝阳路',
  '东风路', '青年路', '滨江路', '学府路', '科技路', '天府大道', '世纪大道', '花园路', '迎宾大道',
];
export const COMMUNITIES = ['锦绣花园', '阳光小区', '幸福家园', '翠苑', '金色港湾', '书香苑', '绿地新城', '紫荆公寓', '华府', '枫林湾'];
export const ADDRESS_ALIASES = ['家', '公司', '学校', '父母家', '宿舍'];

export interface CityInfo {
  province: string | null;
  city: string;
  /** [district, division code] */
  districts: Array<[string, string]>;
  postcode: string;
  /** how often users live here, relative */
  weight: number;
}

/** 36 real cities; municipalities have no province. */
export const CITIES: CityInfo[] = [
  { province: null, city: '北京市', districts: [['朝阳区', '110105'], ['海淀区', '110108'], ['东城区', '110101']], postcode: '100020', weight: 8 },
  { province: null, city: '上海市', districts: [['浦东新区', '310115'], ['徐汇区', '310104'], ['静安区', '310106']], postcode: '200120', weight: 8 },
  { province: null, city: '天津市', districts: [['和平区', '120101'], ['南开区', '120104'], ['河西区', '120103']], postcode: '300000', weight: 3 },
  { province: null, city: '重庆市', districts: [['渝中区', '500103'], ['江北区', '500105'], ['渝北区', '500112']], postcode: '400010', weight: 4 },
  { province: '广东省', city: '广州市', districts: [['天河区', '440106'], ['越秀区', '440104'], ['海珠区', '440105']], postcode: '510620', weight: 6 },
  { province: '广东省', city: '深圳市', districts: [['南山区', '440305'], ['福田区', '440304'], ['罗湖区', '440303']], postcode: '518000', weight: 6 },
  { province: '广东省', city: '佛山市', districts: [['禅城区', '440604'], ['南海区', '440605'], ['顺德区', '440606']], postcode: '528000', weight: 2 },
  { province: '四川省', city: '成都市', districts: [['武侯区', '510107'], ['锦江区', '510104'], ['青羊区', '510105']], postcode: '610041', weight: 5 },
  { province: '浙江省', city: '杭州市', districts: [['西湖区', '330106'], ['上城区', '330102'], ['滨江区', '330108']], postcode: '310012', weight: 5 },
  { province: '浙江省', city: '宁波市', districts: [['海曙区', '330203'], ['鄞州区', '330212'], ['江北区', '330205']], postcode: '315000', weight: 2 },
  { province: '江苏省', city: '南京市', districts: [['玄武区', '320102'], ['秦淮区', '320104'], ['鼓楼区', '320106']], postcode: '210000', weight: 4 },
  { province: '江苏省', city: '苏州市', districts: [['姑苏区', '320508'], ['吴中区', '320506'], ['虎丘区', '320505']], postcode: '215000', weight: 3 },
  { province: '江苏省', city: '无锡市', districts: [['梁溪区', '320213'], ['滨湖区', '320211'], ['新吴区', '320214']], postcode: '214000', weight: 2 },
  { province: '湖北省', city: '武汉市', districts: [['江岸区', '420102'], ['武昌区', '420106'], ['洪山区', '420111']], postcode: '430000', weight: 4 },
  { province: '陕西省', city: '西安市', districts: [['雁塔区', '610113'], ['碑林区', '610103'], ['未央区', '610112']], postcode: '710061', weight: 3 },
  { province: '湖南省', city: '长沙市', districts: [['岳麓区', '430104'], ['芙蓉区', '430102'], ['天心区', '430103']], postcode: '410000', weight: 3 },
  { province: '河南省', city: '郑州市', districts: [['金水区', '410105'], ['二七区', '410103'], ['中原区', '410102']], postcode: '450000', weight: 3 },
  { province: '山东省', city: '济南市', districts: [['历下区', '370102'], ['市中区', '370103'], ['槐荫区', '370104']], postcode: '250000', weight: 2 },
  { province: '山东省', city: '青岛市', districts: [['市南区', '370202'], ['市北区', '370203'], ['崂山区', '370212']], postcode: '266000', weight: 2 },
  { province: '福建省', city: '福州市', districts: [['鼓楼区', '350102'], ['台江区', '350103'], ['仓山区', '350104']], postcode: '350000', weight: 2 },
  { province: '福建省', city: '厦门市', districts: [['思明区', '350203'], ['湖里区', '350206'], ['集美区', '350211']], postcode: '361000', weight: 2 },
  { province: '安徽省', city: '合肥市', districts: [['蜀山区', '340104'], ['包河区', '340111'], ['庐阳区', '340103']], postcode: '230000', weight: 2 },
  { province: '江西省', city: '南昌市', districts: [['东湖区', '360102'], ['西湖区', '360103'], ['青山湖区', '360111']], postcode: '330000', weight: 2 },
  { province: '辽宁省', city: '沈阳市', districts: [['和平区', '210102'], ['沈河区', '210103'], ['皇姑区', '210105']], postcode: '110000', weight: 2 },
  { province: '辽宁省', city: '大连市', districts: [['中山区', '210202'], ['西岗区', '210203'], ['沙河口区', '210204']], postcode: '116000', weight: 2 },
  { province: '吉林省', city: '长春市', districts: [['朝阳区', '220104'], ['南关区', '220102'], ['宽城区', '220103']], postcode: '130000', weight: 1 },
  { province: '黑龙江省', city: '哈尔滨市', districts: [['道里区', '230102'], ['南岗区', '230103'], ['香坊区', '230110']], postcode: '150000', weight: 2 },
  { province: '云南省', city: '昆明市', districts: [['五华区', '530102'], ['盘龙区', '530103'], ['官渡区', '530111']], postcode: '650000', weight: 2 },
  { province: '贵州省', city: '贵阳市', districts: [['南明区', '520102'], ['云岩区', '520103'], ['观山湖区', '520115']], postcode: '550000', weight: 1 },
  { province: '广西壮族自治区', city: '南宁市', districts: [['青秀区', '450103'], ['兴宁区', '450102'], ['西乡塘区', '450107']], postcode: '530000', weight: 1 },
  { province: '河北省', city: '石家庄市', districts: [['长安区', '130102'], ['桥西区', '130104'], ['裕华区', '130108']], postcode: '050000', weight: 1 },
  { province: '山西省', city: '太原市', districts: [['小店区', '140105'], ['迎泽区', '140106'], ['杏花岭区', '140107']], postcode: '030000', weight: 1 },
  { province: '甘肃省', city: '兰州市', districts: [['城关区', '620102'], ['七里河区', '620103'], ['安宁区', '620105']], postcode: '730000', weight: 1 },
  { province: '新疆维吾尔自治区', city: '乌鲁木齐市', districts: [['天山区', '650102'], ['沙依巴克区', '650103'], ['新市区', '650104']], postcode: '830000', weight: 1 },
  { province: '海南省', city: '海口市', districts: [['龙华区', '460106'], ['美兰区', '460108'], ['秀英区', '460105']], postcode: '570000', weight: 1 },
  { province: '内蒙古自治区', city: '呼和浩特市', districts: [['新城区', '150102'], ['回民区', '150103'], ['赛罕区', '150105']], postcode: '010000', weight: 1 },
];

/** Real mobile number prefixes (1[3-9]x). */
export const PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157',
  '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188',
  '189', '191', '198', '199',
];

export const EMAIL_DOMAINS = ['example.com', 'example.cn', 'example.net', 'example.org'];

export const VIP_NAMES = ['白银会员', '黄金会员', '钻石会员'];
